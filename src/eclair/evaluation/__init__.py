"""Question suites, SimpleQA-style grading and the ``eclair eval`` runner.

The examiner of the answer pipeline: it talks to a server only through the OpenAI API and
knows nothing of how answers are produced. See ``evals/README.md`` for the suite format.
Modules: :mod:`.suite` (format), :mod:`.answers` and :mod:`.patterns` (what a reply
states), :mod:`.grading`, :mod:`.runner`, :mod:`.report`, :mod:`.cli`. This package module
imports nothing heavy, so that ``eclair`` starts fast; import from the submodules.
"""

DEFAULT_URL = "http://127.0.0.1:8000/v1"
"""Where ``eclair eval`` finds the server when ``--url`` is not given."""

ECLAIR_MODEL = "eclair"
"""The assistant's model id; every other id in ``/v1/models`` is a raw model."""

DEFAULT_COLLECTION = "eclair-eval"
"""Collection the suite's documents are uploaded to."""
