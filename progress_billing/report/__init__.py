from . import progress_billing_payment_schedule
