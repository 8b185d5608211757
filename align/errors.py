"""Errors a user can cause. The CLI prints their message as one sentence and exits non-zero;
anything else that escapes is our bug and keeps its traceback."""


class UserError(Exception):
    """A problem with the user's input or environment, explained in one sentence."""

    exit_code = 2


class InputError(UserError):
    """A file the user gave cannot be used (missing, a directory, empty, binary, wrong encoding)."""


class OutputError(UserError):
    """An output cannot be written where the user asked (a read-only or full file system, a
    folder where a file should be, a path that would overwrite an input)."""


class JobError(UserError):
    """A setting of the whole job is wrong (the model, the device, the quantization, a
    cluster address): no input can succeed with it, so a batch stops once, before any article,
    instead of failing every article in turn."""


class ModelUnavailable(JobError):
    """The requested model cannot be loaded (offline with no cached copy, a wrong path)."""


class MismatchError(UserError):
    """Two inputs that must correspond do not (for example reference and segment counts)."""
