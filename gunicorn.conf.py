"""gunicorn reads this file from the directory it starts in (README, "Production").

Each worker is readied before its first request (registry.warm_up): its templates compiled and the app's
long-lived objects moved out of the garbage collector's way. Here and not in wsgi.py, which every
`flask --app wsgi` command imports too and which should not pay for it.
"""


def post_worker_init(worker):
    from registry import warm_up

    warm_up(worker.wsgi)
