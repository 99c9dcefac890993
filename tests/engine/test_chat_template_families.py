"""Each family's real chat template renders, in the sandbox, the prompt its model was trained on.

The conversation is the same for every family (system, user, assistant, user); the expected
texts are written out by hand from each family's documented prompt format.
"""

from __future__ import annotations

import pytest

from eclair.config import bundled_model_path
from eclair.engine.chat_template import ChatTemplate
from eclair.engine.hub.ggufmeta import read_local_header
from eclair.engine.protocol import ChatMessage
from eclair.errors import InvalidRequest
from tests.engine import templates

SYSTEM, FIRST, ANSWER, SECOND = (
    "You are a concise assistant.",
    "What is the capital of France?",
    "Paris.",
    "And of Italy?",
)
CONVERSATION = [
    ChatMessage("system", SYSTEM),
    ChatMessage("user", FIRST),
    ChatMessage("assistant", ANSWER),
    ChatMessage("user", SECOND),
]
CHATML = (
    f"<|im_start|>system\n{SYSTEM}<|im_end|>\n"
    f"<|im_start|>user\n{FIRST}<|im_end|>\n"
    f"<|im_start|>assistant\n{ANSWER}<|im_end|>\n"
    f"<|im_start|>user\n{SECOND}<|im_end|>\n"
    "<|im_start|>assistant\n"
)
LLAMA_TURNS = (
    f"<|start_header_id|>user<|end_header_id|>\n\n{FIRST}<|eot_id|>"
    f"<|start_header_id|>assistant<|end_header_id|>\n\n{ANSWER}<|eot_id|>"
    f"<|start_header_id|>user<|end_header_id|>\n\n{SECOND}<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n"
)
LLAMA_TOKENS = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}
MISTRAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>"}

FAMILIES = {
    "qwen2.5 (ChatML)": (templates.QWEN2_5, {"bos_token": "", "eos_token": "<|im_end|>"}, CHATML),
    "smollm2 (ChatML)": (templates.SMOLLM2, {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>"}, CHATML),
    "llama 3": (
        templates.LLAMA_3,
        LLAMA_TOKENS,
        f"<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{SYSTEM}<|eot_id|>" + LLAMA_TURNS,
    ),
    "llama 3.1": (
        templates.LLAMA_3_1,
        LLAMA_TOKENS,
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
        f"{SYSTEM}<|eot_id|>" + LLAMA_TURNS,
    ),
    "mistral 7b [INST]": (
        templates.MISTRAL_7B,
        MISTRAL_TOKENS,
        f"<s> [INST] {SYSTEM}\n\n{FIRST} [/INST] {ANSWER}</s> [INST] {SECOND} [/INST]",
    ),
    "mistral small 3 [INST]": (
        templates.MISTRAL_SMALL_3,
        MISTRAL_TOKENS,
        f"<s>[SYSTEM_PROMPT]{SYSTEM}[/SYSTEM_PROMPT][INST]{FIRST}[/INST]{ANSWER}</s>[INST]{SECOND}[/INST]",
    ),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_family_renders_the_conversation_as_its_model_expects(family: str) -> None:
    source, tokens, expected = FAMILIES[family]
    assert ChatTemplate(source, **tokens).render(CONVERSATION) == expected


def test_the_smollm2_fixture_is_the_bundled_models_own_template() -> None:
    metadata = read_local_header(bundled_model_path()).metadata
    assert metadata["tokenizer.chat_template"] == templates.SMOLLM2


@pytest.mark.parametrize(
    ("source", "default_system"),
    [
        (templates.QWEN2_5, "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."),
        (templates.SMOLLM2, "You are a helpful AI assistant named SmolLM, trained by Hugging Face"),
    ],
)
def test_chatml_families_add_their_default_system_prompt(source: str, default_system: str) -> None:
    text = ChatTemplate(source).render([ChatMessage("user", FIRST)])
    assert text == (
        f"<|im_start|>system\n{default_system}<|im_end|>\n"
        f"<|im_start|>user\n{FIRST}<|im_end|>\n<|im_start|>assistant\n"
    )


def test_llama_3_1_without_tools_says_nothing_of_an_ipython_environment() -> None:
    """Its template tests ``tools is not none`` without defining ``tools``: rendered as
    transformers and llama.cpp render it (``tools`` is None), no tool environment is announced."""
    text = ChatTemplate(templates.LLAMA_3_1, **LLAMA_TOKENS).render([ChatMessage("user", FIRST)])
    assert "Environment: ipython" not in text
    assert text.startswith(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
    )


def test_mistral_small_3_without_system_prompt_uses_its_own_dated_one() -> None:
    text = ChatTemplate(templates.MISTRAL_SMALL_3, **MISTRAL_TOKENS).render([ChatMessage("user", FIRST)])
    assert text.startswith("<s>[SYSTEM_PROMPT]You are Mistral Small 3, a Large Language Model")
    assert "The current date is 20" in text and text.endswith(f"[INST]{FIRST}[/INST]")


def test_a_templates_own_refusal_is_a_400_naming_the_messages() -> None:
    # (Mistral Small 3's template has the same check, but Jinja scoping leaves its list of
    # messages empty, so there, as under transformers, it never fires.)
    with pytest.raises(InvalidRequest, match="must alternate user/assistant") as refused:
        ChatTemplate(templates.MISTRAL_7B, **MISTRAL_TOKENS).render(
            [ChatMessage("user", "a"), ChatMessage("user", "b")]
        )
    assert refused.value.param == "messages"
