from . import progress_billing_export
from . import portal
