from . import test_billing_period
from . import test_autocomplete_allocation
from . import test_autocomplete_sources
from . import test_autocomplete_matching
from . import test_autocomplete_wizard
from . import test_autocomplete_example
