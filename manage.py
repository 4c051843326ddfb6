#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botplatform.settings")
    if sys.argv[1:2] == ["evaluate_nlu"]:  # touches no database: the demo's embedded defaults suffice
        os.environ.setdefault("DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
