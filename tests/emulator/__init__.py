"""A Sheets API v4 emulator for the tests and benchmarks: real HTTP on a loopback port."""

from .server import Fault, SheetsEmulator, running

__all__ = ["Fault", "SheetsEmulator", "running"]
