"""GGUF models from the Hugging Face Hub: names, catalogue, download, cache, fit check.

``eclair models pull|list|show|rm`` (:mod:`.cli`) and ``eclair serve --model NAME``
(:mod:`.resolve`) share everything here. Files live in the standard Hugging Face cache
(``HF_HOME`` / ``HF_HUB_CACHE``), so other tools see them and Éclair sees theirs.
Nothing here imports FastAPI or llama.cpp.
"""
