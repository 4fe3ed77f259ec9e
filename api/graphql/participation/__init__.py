"""A party's choices about its part in the draws (¶28(c), ¶29, footnote 2)."""
