"""Tests of egovkit.assessment."""
