from collections.abc import Callable

import pytest

from kiosk.errors import BackendError


def failure(call: Callable[[], object]) -> BackendError:
    """The BackendError that `call` raises (the test fails if it raises none)."""
    with pytest.raises(BackendError) as caught:
        call()
    return caught.value
