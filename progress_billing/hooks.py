def post_init_hook(env):
    """Companies already on the generic chart of accounts get its retainage accounts."""
    ChartTemplate = env["account.chart.template"]
    for company in env["res.company"].search([("chart_template", "=", "generic_coa")], order="parent_path"):
        ChartTemplate._load_progress_billing_accounts(company)
