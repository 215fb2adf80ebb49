"""VNPT SmartCA remote signing for egovkit (ký số từ xa)."""

from __future__ import annotations

from egovkit_smartca.client import SmartCAConfig, SmartCASigner

__all__ = ["SmartCAConfig", "SmartCASigner"]
