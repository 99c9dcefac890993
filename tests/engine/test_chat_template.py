"""Chat templates render in a sandbox: a malicious template executes nothing (CVE-2024-34359)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.engine.chat_template import CHATML_TEMPLATE, ChatTemplate, ChatTemplateError
from eclair.engine.protocol import ChatMessage
from eclair.errors import InvalidRequest

MESSAGES = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")]


def test_chatml_rendering() -> None:
    text = ChatTemplate(CHATML_TEMPLATE).render(MESSAGES)
    assert (
        text
        == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )


def test_bos_and_eos_tokens_are_available() -> None:
    template = ChatTemplate(
        "{{ bos_token }}{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}",
        bos_token="<s>",
        eos_token="</s>",
    )
    assert template.render(MESSAGES) == "<s>Be brief.</s>Hi</s>"


@pytest.mark.parametrize(
    "payload",
    [
        # The published exploit shape: reach os through a function's globals.
        "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch {marker}') }}",
        "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ joiner.__init__.__globals__.os.system('touch {marker}') }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'Popen' %}"
        "{{ c(['touch', '{marker}']) }}{% endif %}{% endfor %}",
        "{{ lipsum.__globals__['os'].system('touch {marker}') }}",
        "{{ raise_exception.__globals__['__builtins__']['exec']('open(\"{marker}\", \"w\")') }}",
    ],
)
def test_malicious_template_executes_nothing(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    source = payload.replace("{marker}", str(marker))
    with pytest.raises((ChatTemplateError, InvalidRequest)):
        ChatTemplate(source).render(MESSAGES)
    assert not marker.exists()


def test_template_mutation_is_refused() -> None:
    source = "{% set x = messages.append({'role': 'user', 'content': 'injected'}) %}{{ messages|length }}"
    with pytest.raises(ChatTemplateError):
        ChatTemplate(source).render(MESSAGES)


def test_template_syntax_error_is_a_configuration_error() -> None:
    with pytest.raises(ChatTemplateError):
        ChatTemplate("{% for m in messages %}")


def test_template_raise_exception_rejects_the_conversation() -> None:
    source = "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with user') }}{% endif %}"
    with pytest.raises(InvalidRequest) as info:
        ChatTemplate(source).render(MESSAGES)
    assert info.value.param == "messages"
