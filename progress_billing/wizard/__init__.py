# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import progress_billing_line_reject_wizard
from . import progress_billing_move_cancel_wizard
from . import progress_billing_retainage_release_wizard
from . import progress_billing_retainage_release_wizard_line
from . import progress_billing_owner_invoice_autocomplete
from . import progress_billing_owner_invoice_autocomplete_unmatched
from . import progress_billing_owner_invoice_autocomplete_earlier
from . import progress_billing_backup_wizard
from . import progress_billing_period_open_wizard
from . import sale_advance_payment_inv
from . import progress_billing_invite_wizard
