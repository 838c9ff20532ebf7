"""Label ids of ../shared/CONTRACTS.md, kept here so that the engine imports nothing from Flask."""

EMOTIONS = (
    "frustration", "shame", "relief", "pride", "uncertainty", "anxiety", "confidence", "surprise",
    "disappointment", "fear", "joy", "anger", "disgust", "trust", "suspicion",
)
POSITIVE_EMOTIONS = frozenset({"relief", "pride", "confidence", "joy", "trust"})
NEGATIVE_EMOTIONS = frozenset(EMOTIONS) - POSITIVE_EMOTIONS - {"surprise"}

COMPANY_BLOCKERS = (
    "pricing_unclear", "checkout_friction", "information_gap", "contact_difficulty", "delivery_problem",
    "product_defect", "returns_friction", "website_usability",
)
CUSTOMER_BLOCKERS = ("approval_needed", "value_uncertainty", "budget_constraint", "trust_concern", "timing")
BLOCKERS = COMPANY_BLOCKERS + CUSTOMER_BLOCKERS

SUPPORTED_LANGUAGES = ("en", "pl", "ro")

# Evidence labels that are neither emotions nor blockers.
POLARITY_LABELS = ("positive", "negative")
COMPLAINT_LABEL = "complaint"
