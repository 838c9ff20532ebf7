"""Label ids of ../shared/CONTRACTS.md and their interface names in every supported language."""
from flask_babel import lazy_gettext as _l

EMOTIONS = {
    "frustration": _l("Frustration"),
    "shame": _l("Shame"),
    "relief": _l("Relief"),
    "pride": _l("Pride"),
    "uncertainty": _l("Uncertainty"),
    "anxiety": _l("Anxiety"),
    "confidence": _l("Confidence"),
    "surprise": _l("Surprise"),
    "disappointment": _l("Disappointment"),
    "fear": _l("Fear"),
    "joy": _l("Joy"),
    "anger": _l("Anger"),
    "disgust": _l("Disgust"),
    "trust": _l("Trust"),
    "suspicion": _l("Suspicion"),
}
POSITIVE_EMOTIONS = frozenset({"relief", "pride", "confidence", "joy", "trust"})
NEUTRAL_EMOTIONS = frozenset({"surprise"})

COMPANY_BLOCKERS = {
    "pricing_unclear": _l("Pricing unclear"),
    "checkout_friction": _l("Checkout friction"),
    "information_gap": _l("Missing information"),
    "contact_difficulty": _l("Hard to reach us"),
    "delivery_problem": _l("Delivery problem"),
    "product_defect": _l("Product defect"),
    "returns_friction": _l("Returns friction"),
    "website_usability": _l("Website usability"),
}
CUSTOMER_BLOCKERS = {
    "approval_needed": _l("Needs someone's approval"),
    "value_uncertainty": _l("Unsure of the value"),
    "budget_constraint": _l("Budget constraint"),
    "trust_concern": _l("Trust concern"),
    "timing": _l("Not the right time"),
}
BLOCKERS = COMPANY_BLOCKERS | CUSTOMER_BLOCKERS
