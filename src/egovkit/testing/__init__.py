"""Testing support for egovkit's users: hypothesis strategies, a pytest plugin, contract suites.

Needs the ``testing`` extra (``pip install "egovkit[testing]"``). Nothing here is imported by
the library itself.

- :mod:`egovkit.testing.strategies`: generators of valid and invalid values.
- :mod:`egovkit.testing.pki`: a fixture PKI (test keys, certificates, CRLs, OCSP) for signature
  tests.
- :mod:`egovkit.testing.pytest_plugin`: fixtures; opt in with
  ``pytest_plugins = ["egovkit.testing.pytest_plugin"]`` in your ``conftest.py``.
"""
