from . import progress_billing_export
