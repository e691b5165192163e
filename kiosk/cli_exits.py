"""Exit codes of `python -m kiosk`, shared by its commands."""

EXIT_PAID = 0
EXIT_USAGE = 2  # bad arguments or config (argparse uses 2 as well)
EXIT_EXPIRED = 3
EXIT_CANCELLED = 4
EXIT_FAILED = 5
EXIT_DOCTOR_FAILED = 1

EXIT_CODES_HELP = """exit codes:
  0  paid (the receipt was printed, or is waiting for the printer)
  2  bad arguments or config
  3  expired: the customer did not pay in time
  4  cancelled (Ctrl-C): a payment that still arrives is recorded as paid-late
  5  failed: no invoice could be made; the message says why and what to do
"""
