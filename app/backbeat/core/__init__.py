"""The pure-Python heart of Backbeat: protocols, session plans and the session engine.

Nothing in this package imports Qt or touches audio; time is always injected.
"""
