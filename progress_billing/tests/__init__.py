from . import test_billing_period
