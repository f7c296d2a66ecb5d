{
    "name": "Progress Billing",
    "summary": "Construction progress billing: prime contracts, commitments, "
    "billing periods, subcontractor and owner pay applications (AIA G702/G703)",
    "version": "19.0.1.0.0",
    "category": "Services/Project",
    "license": "LGPL-3",
    "author": "progress_billing developers",
    "website": "https://example.com/progress_billing",
    "depends": ["mail", "project", "sale_project", "project_purchase"],
    "external_dependencies": {"python": ["pypdf"]},
    "data": [
        "security/progress_billing_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/progress_billing_cost_type_data.xml",
        "data/progress_billing_division_data.xml",
        "data/progress_billing_cost_code_data.xml",
        "report/progress_billing_pay_application_templates.xml",
        "report/progress_billing_reports.xml",
        "views/progress_billing_backup_views.xml",
        "wizard/progress_billing_backup_wizard_views.xml",
    ],
    "demo": [
        "demo/progress_billing_contract_demo.xml",
        "demo/progress_billing_billing_demo.xml",
        "demo/progress_billing_attachment_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "progress_billing/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
