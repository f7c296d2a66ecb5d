from . import test_billing_period
from . import test_backup_pdf
from . import test_pay_application_report
from . import test_backup_compile
