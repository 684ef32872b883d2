"""Take the landing page's picture of the app: the dashboard of the demo account
on a 390x844 phone, saved as WebP at two widths in static/landing/ (outside
static/img/, which the service worker keeps for every page: only the landing
page shows these). Run it again whenever the dashboard changes; the images are
committed.

    DJANGO_DEBUG=1 .venv/bin/python manage.py seed_demo --user demo --years 1
    DJANGO_DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python tools/landing_screenshot.py --base-url http://127.0.0.1:8000

It drives Debian's Chromium (/usr/bin/chromium) with Playwright, from the dev
requirements, and lets Chromium itself scale and encode the WebP (canvas
toDataURL), so no image library is needed. Check the alt text in
templates/landing.html against the new picture.
"""

import argparse
import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "static" / "landing"
PHONE = {"width": 390, "height": 844}
WIDTHS = (300, 600)  # shown 300 CSS px wide: 1x and 2x screens
QUALITY = 0.8
SCALE_AND_ENCODE = """
async ([png, width, quality]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = Math.round(image.height * width / image.width);
  const context = canvas.getContext("2d");
  context.imageSmoothingQuality = "high";
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return [canvas.height, canvas.toDataURL("image/webp", quality).split(",")[1]];
}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="footcare-demo")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(
            viewport=PHONE, device_scale_factor=2, color_scheme="light"
        )
        page.goto(f"{args.base_url}/accounts/login/")
        page.get_by_label("Username or email").fill(args.user)
        page.get_by_label("Password").fill(args.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.goto(f"{args.base_url}/")
        png = page.screenshot(animations="disabled", caret="hide")
        for width in WIDTHS:
            height, webp = page.evaluate(
                SCALE_AND_ENCODE, [base64.b64encode(png).decode(), width, QUALITY]
            )
            path = OUT / f"dashboard-phone-{width}.webp"
            path.write_bytes(base64.b64decode(webp))
            print(
                f"{path.relative_to(OUT.parent.parent.parent)}: {width}x{height}, "
                f"{path.stat().st_size // 1024} KiB"
            )
        browser.close()


if __name__ == "__main__":
    main()
