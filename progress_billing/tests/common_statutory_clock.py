# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Shared fixtures of the statutory clock tests (readme/USAGE.md, "Payment schedules and the statutory clock").

``StatutoryClockCase`` gives the company a Sydney working calendar with the
New South Wales Labour Day 2026 (Monday 5 October) as a public holiday, and
the project the shipped NSW regimes: subcontract for subcontractor claims,
head contract for owner claims; its project manager is ``manager``, the
reviewer. ``_receive`` submits an invoice on a given day.
"""

from datetime import date, datetime, time

import pytz
from odoo.tests import freeze_time

from .common import ProgressBillingCase

SYDNEY = pytz.timezone("Australia/Sydney")
LABOUR_DAY_2026 = date(2026, 10, 5)
# the worked example (readme/USAGE.md, "Worked example"): received on the Friday before Labour Day
FRIDAY_BEFORE_LABOUR_DAY = date(2026, 10, 2)


def sydney_utc(day, at):
    """``day`` at ``at`` in Sydney, as the naive UTC datetime Odoo stores."""
    return SYDNEY.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)


class StatutoryClockCase(ProgressBillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.company.resource_calendar_id
        calendar.tz = "Australia/Sydney"
        cls.env["resource.calendar.leaves"].create({
            "name": "Labour Day", "calendar_id": calendar.id, "company_id": cls.company.id,
            "date_from": sydney_utc(LABOUR_DAY_2026, time.min), "date_to": sydney_utc(LABOUR_DAY_2026, time(23, 59, 59)),
        })
        cls.nsw_subcontract = cls.env.ref("progress_billing.payment_regime_nsw_subcontract")
        cls.nsw_head_contract = cls.env.ref("progress_billing.payment_regime_nsw_head_contract")
        cls.vic = cls.env.ref("progress_billing.payment_regime_vic")
        cls.project.write({
            "sub_payment_regime_id": cls.nsw_subcontract.id,
            "owner_payment_regime_id": cls.nsw_head_contract.id,
            "user_id": cls.manager.id,
        })
        cls.env.user.tz = "Australia/Sydney"
        cls.user.tz = cls.manager.tz = "Australia/Sydney"

    def _receive(self, invoice, day, user=None):
        """Submit ``invoice`` (as ``user``, default ``user``) at 10 am in Sydney on ``day``."""
        with freeze_time(sydney_utc(day, time(10))):
            invoice.with_user(user or self.user).action_submit()
        return invoice
