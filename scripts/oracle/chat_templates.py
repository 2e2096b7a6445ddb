#!/usr/bin/env python3
"""Golden renderings of real chat templates, as transformers' apply_chat_template renders them.

jinja2 is configured here the way transformers configures it (`_compile_jinja_template` in
transformers/utils/chat_template_utils.py): an ImmutableSandboxedEnvironment with
trim_blocks=True, lstrip_blocks=True and the loopcontrols extension; `tojson` replaced by
json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys);
globals raise_exception (raises TemplateError) and strftime_now. The template is rendered with
messages=..., tools=... (None when absent), documents=None, add_generation_prompt=... and the
tokenizer's special tokens (special_tokens_map: only the tokens that are set) as variables.

Templates (dart-core/src/test/resources/fixtures/chat-templates/, provenance in README.md there):
  qwen2.5-instruct.jinja and llama-3.1-instruct.jinja.

    /usr/bin/python3 scripts/oracle/chat_templates.py \
        > dart-core/src/test/resources/fixtures/chat-templates/goldens.json

Run with Debian's python3-jinja2 (apt-get install python3-jinja2), not a pip jinja2.
"""
import json
import os
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "dart-core/src/test/resources/fixtures")


def compile_template(text):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def strftime_now(fmt):
        return datetime.now().strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env.from_string(text)


def render(text, special_tokens, messages, tools, add_generation_prompt):
    return compile_template(text).render(messages=messages, tools=tools, documents=None,
                                         add_generation_prompt=add_generation_prompt,
                                         **special_tokens)


QWEN25_TOKENS = {  # Qwen/Qwen2.5-7B-Instruct tokenizer_config.json: bos_token and unk_token null
    "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
    "additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<|object_ref_start|>",
                                  "<|object_ref_end|>", "<|box_start|>", "<|box_end|>",
                                  "<|quad_start|>", "<|quad_end|>", "<|vision_start|>",
                                  "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>",
                                  "<|video_pad|>"],
}
LLAMA31_TOKENS = {  # meta-llama/Llama-3.1-8B-Instruct tokenizer_config.json
    "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>",
}

SEARCH_TOOL = {
    "type": "function",
    "function": {
        "name": "search",
        "description": "Search Wikipedia for passages about a query; returns the top 3 — with titles.",
        "parameters": {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "what to look up"},
                "top_k": {"type": "integer", "description": "passages to return", "default": 3},
            },
            "required": ["query"],
        },
    },
}

CHAT = [
    {"role": "system", "content": "You answer questions about Europe.  "},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "<think>easy</think> <answer> Paris </answer>"},
    {"role": "user", "content": "And of Bhutan — \"Thimphu\"?\n"},
]
NO_SYSTEM = [{"role": "user", "content": "Who wrote Hamlet?"}]
TOOL_CHAT = [
    {"role": "user", "content": "Where was Ada Lovelace born?"},
    {"role": "assistant", "content": "",
     "tool_calls": [{"type": "function", "function": {
         "name": "search", "arguments": {"query": "Ada Lovelace birthplace", "top_k": 2}}}]},
    {"role": "tool", "name": "search",
     "content": "Doc 1(Title: Ada Lovelace) Born in London, 10 December 1815."},
    {"role": "assistant", "content": "<answer> London </answer>"},
    {"role": "user", "content": "Thanks. Ünïcode too?"},
]


def cases():
    templates = [
        ("qwen2.5-instruct", open(os.path.join(FIXTURES, "chat-templates/qwen2.5-instruct.jinja")).read(),
         QWEN25_TOKENS),
        ("llama-3.1-instruct", open(os.path.join(FIXTURES, "chat-templates/llama-3.1-instruct.jinja")).read(),
         LLAMA31_TOKENS),
    ]
    # Qwen3's template (fixtures/qwen3-tokenizer) is not rendered: it calls Python string methods
    # (startswith, lstrip, split) and uses extended slices (messages[::-1]) that Jinjava lacks;
    # dart4j refuses it with a clear error (ChatTemplateTest).
    conversations = [("chat", CHAT, None), ("no-system", NO_SYSTEM, None),
                     ("tools", TOOL_CHAT, [SEARCH_TOOL]), ("tools-first-turn", NO_SYSTEM, [SEARCH_TOOL])]
    for name, text, tokens in templates:
        for conv_name, messages, tools in conversations:
            for agp in (False, True):
                yield {
                    "template": name,
                    "conversation": conv_name,
                    "special_tokens": tokens,
                    "messages": messages,
                    "tools": tools,
                    "add_generation_prompt": agp,
                    "expected": render(text, tokens, messages, tools, agp),
                }


def main():
    print(json.dumps({
        "provenance": "scripts/oracle/chat_templates.py: jinja2 " + jinja2.__version__
                      + " under transformers' apply_chat_template settings",
        "cases": list(cases()),
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
