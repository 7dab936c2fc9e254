"""Hands-free control by voice: offline recognition of a small command set, a gate that
keeps the app from obeying its own prompts, and a dispatcher onto the session player.

Qt-free: it may import ``backbeat.core`` and ``backbeat.audio``, never ``ui`` or ``cli``.
Nothing it hears is recorded, stored or sent anywhere: audio blocks live only in memory
until the recogniser has read them.
"""
