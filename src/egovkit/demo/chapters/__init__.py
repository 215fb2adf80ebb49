"""The demo's chapters, one module each, played in this order by :func:`~egovkit.demo.run_demo`:
registers, records and archives, exchange, dossiers, service levels, the portal export,
assessments."""
