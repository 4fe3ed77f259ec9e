"""The rules of the review mechanism as plain Python, with no database in them.

Every other package may import this one; it imports none of them. Paragraph numbers (¶)
are those of the annex to resolution 9/1 (CTOC/COP/2018/13).
"""
