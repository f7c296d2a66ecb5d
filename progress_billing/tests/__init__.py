from . import test_billing_period
from . import test_sub_invoice
from . import test_constraints
from . import test_change_orders
from . import test_owner_invoice
from . import test_multi_company
from . import test_master_data
from . import test_accounting
