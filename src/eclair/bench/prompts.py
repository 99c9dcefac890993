"""The prompts ``eclair bench`` sends. Fixed text, so that runs compare like with like.

- :data:`OPEN_PROMPTS`: open chat requests whose answers are not in the prompt (stories,
  explanations). They drive the concurrency sweep and Poisson arrivals, and are the "open
  chat" half of the speculation check.
- :data:`GROUNDED_PROMPTS`: input-grounded requests (rewrite, quote, summarise a passage given
  in the prompt). Answers reuse the passage's wording, which is what prompt lookup exploits.
- :data:`CONVERSATION_TURNS`: user messages of the multi-turn scenario; each simulated user
  starts from a different topic and sends the follow-ups in order.
- :data:`USER_NAMES`: how the users of the ``overflow`` run introduce themselves (their
  histories then differ from the first message on, as real users' do).
"""

from __future__ import annotations

OPEN_PROMPTS: tuple[str, ...] = (
    "Write a long, detailed story about a lighthouse keeper and a storm.",
    "Explain how a bicycle stays upright while moving, step by step.",
    "Describe a busy morning market in a small mountain town.",
    "Write a letter from a sailor to his family after a long voyage.",
    "Tell the story of a robot who learns to paint.",
    "Explain why the sky is blue to a curious ten-year-old.",
    "Describe the life cycle of a butterfly in detail.",
    "Write a short fable about a fox, a crow and a piece of cheese.",
)

_PASSAGES: tuple[str, ...] = (
    "The Eiffel Tower was built for the 1889 World's Fair in Paris. Designed by the engineering "
    "company of Gustave Eiffel, it was at first criticised by many artists, who called it useless "
    "and monstrous. It stands 330 metres tall and was the tallest man-made structure in the world "
    "until 1930. Today it is one of the most visited monuments on Earth, with millions of visitors "
    "every year.",
    "Honey bees live in colonies of up to sixty thousand workers, a single queen and a few hundred "
    "drones. Worker bees collect nectar and pollen from flowers, build wax combs and care for the "
    "young. The queen lays up to two thousand eggs a day in spring. Bees communicate the location "
    "of flowers to each other through a waggle dance performed inside the hive.",
    "The Great Wall of China is a series of fortifications built over many centuries to protect "
    "Chinese states from raids by nomadic groups. The best-known sections were built during the "
    "Ming dynasty, between the fourteenth and seventeenth centuries. The wall stretches for "
    "thousands of kilometres across mountains, deserts and grasslands.",
    "Photosynthesis is the process by which green plants use sunlight, water and carbon dioxide to "
    "make glucose and oxygen. It takes place mainly in the leaves, inside small structures called "
    "chloroplasts, which contain the green pigment chlorophyll. The oxygen released by plants is "
    "essential for most living things on Earth.",
)

_TASKS: tuple[str, ...] = (
    "Repeat the following text exactly, word for word:\n\n{passage}",
    "Rewrite the following text, keeping every sentence but fixing nothing:\n\n{passage}",
    "Quote the following passage in full, then stop:\n\n{passage}",
    "Summarise the following text, reusing its own sentences:\n\n{passage}",
)

GROUNDED_PROMPTS: tuple[str, ...] = tuple(
    task.format(passage=passage) for task in _TASKS for passage in _PASSAGES[:2]
)

CONVERSATION_TURNS: tuple[tuple[str, ...], ...] = (
    (
        "I am planning a trip to Lisbon. What should I see first?",
        "Which neighbourhood is best for an evening walk?",
        "What local food should I try there?",
        "Is it easy to get around by tram?",
        "What is a good day trip from the city?",
        "Give me a one-line summary of the plan.",
    ),
    (
        "I want to start running. How should I begin?",
        "How many times a week should I run?",
        "What should I eat before a run?",
        "How do I avoid injuries?",
        "When can I try a ten kilometre race?",
        "Summarise the advice in one sentence.",
    ),
    (
        "Can you help me understand how vaccines work?",
        "What is an antibody?",
        "Why do some vaccines need boosters?",
        "What are common side effects?",
        "How are vaccines tested before use?",
        "Sum it up in one sentence.",
    ),
    (
        "I would like to learn to cook pasta properly.",
        "How much salt goes in the water?",
        "How do I know when the pasta is done?",
        "What simple sauce can I make at home?",
        "How do I keep it from sticking?",
        "Give me the whole recipe in one line.",
    ),
)

SYSTEM_PROMPT = "You are a helpful assistant. Answer clearly and briefly."

USER_NAMES: tuple[str, ...] = (
    "Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Giulia", "Hugo",
    "Inès", "Jonas", "Karim", "Léa", "Marta", "Nils", "Olga", "Pablo",
    "Quentin", "Rosa", "Sami", "Tara", "Ugo", "Vera", "Wen", "Yasmin",
)  # fmt: skip
