"""Plugin administration, a feature like any other: admin pages, enable/disable, settings, CLI.

The enabled set and settings it writes are read by the kernel (``forum.kernel.state``,
``forum.kernel.settings``), so the hook caller never depends on this package.
"""
