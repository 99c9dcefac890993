"""Knowledge packs: offline encyclopedias (Kiwix ZIM files) that answer general questions."""
