from . import test_billing_period
from . import test_accounting
