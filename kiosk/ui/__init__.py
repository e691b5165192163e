"""The touchscreen UI: the only package that imports Kivy.

`strings`, `viewmodels`, `routing` and `display` are plain Python (no Kivy) so
they can be tested without a window; everything else draws.
"""
