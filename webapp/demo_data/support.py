"""Help-desk complaints of the demo, as support staff labelled them over the last months.

Each: (days ago, channel, language, stage, text, emotions staff gave, blockers staff gave). The machine's
labels come from the classifier when the demo loads; staff confirm them where they match these and correct
them where not, so the agreement page and the retraining start from real judgements. "FlexiRata" is the
shop's instalment plan: a name no public data set knows, which staff keep tagging as a checkout problem.
"""

HELPDESK_COMPLAINTS = [
    (118, "e-mail", "en", "Purchase", "Tried FlexiRata twice and got nowhere, I gave up on the order.",
     ["frustration"], ["checkout_friction"]),
    (112, "phone", "pl", "Post-purchase service", "Paczka nie dotarła, a na infolinii nikt nie odbiera.",
     ["anger"], ["delivery_problem", "contact_difficulty"]),
    (105, "chat", "ro", "Purchase", "FlexiRata iar nu a mers, am renunțat la comandă.",
     ["frustration"], ["checkout_friction"]),
    (98, "e-mail", "en", "Post-purchase service", "The headphones stopped working after a week, I want my money back.",
     ["disappointment"], ["product_defect"]),
    (91, "e-mail", "en", "Evaluation", "Nowhere on the page does it say whether the charger is included.",
     ["frustration"], ["information_gap"]),
    (84, "chat", "pl", "Purchase", "Z FlexiRata nic nie wyszło, zamówienie przepadło.",
     ["frustration"], ["checkout_friction"]),
    (76, "phone", "en", "Post-purchase service", "I returned the TV a month ago and I'm still waiting for the refund.",
     ["anger"], ["returns_friction"]),
    (69, "e-mail", "ro", "Evaluation", "Prețul de pe site diferă de cel din coș, nu înțeleg de ce.",
     ["uncertainty"], ["pricing_unclear"]),
    (61, "chat", "en", "Purchase", "FlexiRata said no again, no idea why.",
     ["frustration", "uncertainty"], ["checkout_friction"]),
    (54, "e-mail", "pl", "Loyalty", "Mój mąż musi to najpierw zatwierdzić, wrócę do zamówienia później.",
     [], ["approval_needed"]),
    (46, "phone", "en", "Post-purchase service", "The courier left the parcel at the wrong door and it got wet.",
     ["anger"], ["delivery_problem"]),
    (39, "chat", "pl", "Purchase", "Znowu FlexiRata, trzecie podejście i to samo.",
     ["frustration"], ["checkout_friction"]),
    (31, "e-mail", "ro", "Post-purchase service", "Am sunat de cinci ori și nu răspunde nimeni.",
     ["anger"], ["contact_difficulty"]),
    (24, "e-mail", "en", "Purchase", "The FlexiRata step is where I always get stuck.",
     ["frustration"], ["checkout_friction"]),
    (16, "chat", "en", "Evaluation", "I can't tell if this laptop is worth twice the price of the other one.",
     ["uncertainty"], ["value_uncertainty"]),
    (9, "phone", "pl", "Post-purchase service", "Ekran przyszedł pęknięty, proszę o wymianę.",
     ["disappointment"], ["product_defect"]),
    (4, "e-mail", "en", "Purchase", "Wanted to use FlexiRata for the TV but it just went round in circles.",
     ["frustration"], ["checkout_friction"]),
]
