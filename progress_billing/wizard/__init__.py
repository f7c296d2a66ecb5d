from . import progress_billing_backup_wizard
