"""A Sheets API v4 emulator for the tests and benchmarks: real HTTP on a loopback port."""

from .keys import write_service_account_key
from .server import Fault, SheetsEmulator, running

__all__ = ["Fault", "SheetsEmulator", "running", "write_service_account_key"]
