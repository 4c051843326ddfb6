"""What a new store understands before its owner types a phrase: common e-commerce intents and FAQs.

The phrasings are our own, written the way shoppers type (lowercase, typos, no punctuation).
"""

DEFAULT_INTENTS = {
    "track_order": [
        "where is my order", "wheres my stuff??", "track my order", "has my order shipped yet",
        "when will my package arrive", "my order hasnt arrived", "order status", "where is my parcel",
        "i ordered last week and nothing came", "tracking number please", "is my order on the way",
        "wheres my package", "status of order 1042", "did u send my order yet",
    ],
    "returns_refunds": [
        "i want my money back", "how do i return something", "can i get a refund", "return an item",
        "refund please", "i want to send it back", "whats your return policy", "how long do refunds take",
        "the item doesnt fit can i return it", "exchange for a different size", "where is my refund",
        "i need to retrun this", "can i swap it for another colour",
    ],
    "shipping": [
        "do u ship to canada", "how long does shipping take", "shipping times", "do you ship internationally",
        "how much is delivery", "is shipping free", "when will it be delivered if i order today",
        "which countries do you deliver to", "express shipping options", "delivery cost to the uk",
        "how fast is shiping", "can i get next day delivery",
    ],
    "payment_methods": [
        "what payment methods do you accept", "can i pay with paypal", "do you take credit cards",
        "can i pay in installments", "is apple pay accepted", "my payment failed", "can i pay with klarna",
        "how can i pay", "do u accept amex", "payment options",
    ],
    "talk_to_human": [
        "talk to a human", "i want to speak to a person", "real person please", "can i talk to someone",
        "get me an agent", "customer service", "connect me to support", "i need a human not a bot",
        "speak to staff", "agent please", "let me talk to a real human",
    ],
    "complaint": [
        "this is terrible service", "i want to complain", "my item arrived broken", "the product is damaged",
        "worst shop ever", "im very unhappy with my order", "you sent me the wrong item",
        "quality is awful", "i want to file a complaint", "this is unacceptable", "item missing from my package",
    ],
    "discounts": [
        "do you have any discount codes", "is there a sale", "coupon code", "any promo codes",
        "do you offer student discount", "my discount code doesnt work", "free shipping code",
        "are there any deals right now", "first order discount", "can i get a voucher",
    ],
}

DEFAULT_FAQS = [
    {
        "questions": ["what is your return policy", "how many days do i have to return", "can i return sale items"],
        "answer": "You can return unused items within 30 days of delivery for a full refund. "
        "Ask me to start a return any time.",
    },
    {
        "questions": ["do you ship internationally", "which countries do you ship to", "do u ship abroad"],
        "answer": "We ship to most countries. Delivery times and costs are shown at checkout.",
    },
]
