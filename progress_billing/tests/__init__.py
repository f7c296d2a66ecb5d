from . import test_billing_period
from . import test_master_data
from . import test_sub_invoice_approval
