# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""readme/CONFIGURE.md, "Deployment: workers and several servers": several cron workers (threads, processes or servers
on one database) compile queued backups at once; each batch is claimed by one worker
only, with row locks, proved with two database cursors as Odoo's own
account tests prove concurrent postings (test_sequence_mixin)."""

from odoo import fields
from odoo.tests import tagged

from .test_backup_security import CommittedInvoiceCase


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupWorkers(CommittedInvoiceCase):
    def _queue_backups(self, count):
        """``count`` backups queued and committed, as the first worker's environment."""
        first, _second = self.envs
        invoice = first["progress.billing.sub.invoice"].browse(self.ids["invoice"])
        backups = first["progress.billing.backup"].concat(*(
            first["progress.billing.backup"]._prepare(invoice) for _backup in range(count)
        ))
        first.cr.commit()
        return backups

    def _claim(self, env):
        """The backup whose batch a worker's scheduled action claims."""
        return env["progress.billing.backup"]._claim_batch().ids

    def test_a_batch_is_claimed_by_one_worker(self):
        first, second = self.envs
        backup = self._queue_backups(1)
        self.assertEqual(self._claim(first), backup.ids)
        self.assertEqual(self._claim(second), [], "the backup another worker locked is skipped, not waited for")
        second.cr.rollback()

        # the first worker counts its attempt and commits: the claim now lasts through retry_after
        backup._start_attempt()
        attempt = backup.attempt_count
        first.cr.commit()
        self.assertEqual(self._claim(second), [])
        second.cr.rollback()

        # the batch outlives its retry delay: the lock of the batch's transaction still keeps it
        backup._record({"retry_after": fields.Datetime.now()})
        first.cr.commit()
        self.assertTrue(backup._lock_claimed(attempt))
        self.assertEqual(self._claim(second), [])
        second.cr.rollback()

        # the first worker is killed: its batch is claimed again, by one worker, which counts a new attempt
        first.cr.rollback()
        self.assertEqual(self._claim(second), backup.ids)
        second["progress.billing.backup"].browse(backup.ids)._start_attempt()
        second.cr.commit()
        self.assertFalse(backup._lock_claimed(attempt), "a worker whose claim was taken over does not compile")
        self.assertEqual(self._claim(first), [])

    def test_two_workers_compile_two_backups_at_once(self):
        """Each worker's scheduled action compiles what it claims while the
        other holds its own claim: both backups are done, each by one worker."""
        first, second = self.envs
        backups = self._queue_backups(2)
        self.assertEqual(self._claim(first), backups[:1].ids)
        second["progress.billing.backup"]._cron_compile_queued()
        self.assertEqual(second["progress.billing.backup"].browse(backups.ids).mapped("state"), ["queued", "done"],
                         "the backup the first worker holds is left to it")
        first["progress.billing.backup"]._cron_compile_queued()
        self.assertEqual(backups.mapped("state"), ["done", "done"])
        self.assertEqual(backups.mapped("processed_count"), [1, 1], "each invoice compiled once")
