"""Week 5: serve the delay model — FastAPI and gRPC, validated, batched, hot-reloadable, fast.

The modules, one line each, are listed in the README ("The folder").
"""
