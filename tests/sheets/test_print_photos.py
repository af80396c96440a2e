"""Photos: checked by decoding, polyglots and wrong names refused with a Japanese message,
EXIF (location) stripped, resized for print, served only to those who may see them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from sheets.printing.models import Photo
from sheets.printing.photos import PRINT_MAX_PIXELS
from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory
from tests.sheets.print_factories import jpeg_bytes

GPS_IFD = 0x8825


def jpeg_with_gps(size=(2400, 1200)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 46.0, 50.0), 3: "E", 4: (135.0, 24.0, 0.0)})
    return jpeg_bytes(size, exif=exif.tobytes())


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def upload(login, world):
    def _upload(name: str, content: bytes, caption="作業場のようす", user=None, htmx=False):
        client = login(user or world.coordinator_a)
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return client.post(
            reverse("employer_photo_upload", args=[world.employer_a.uuid]),
            {"image": SimpleUploadedFile(name, content), "caption": caption},
            **headers,
        )

    return _upload


def test_good_photo_is_stored_without_exif_and_resized(upload, world):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo has a location
    response = upload("IMG_0001.JPG", original)
    assert response.status_code == 302
    photo = Photo.objects.get()
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no EXIF at all: no location, no camera
    assert max(stored.size) == PRINT_MAX_PIXELS
    assert (photo.width, photo.height) == stored.size


def test_png_with_transparency_stays_png(upload):
    assert upload("logo.png", png_bytes()).status_code == 302
    assert Photo.objects.get().mime_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "写真だけのファイルではありません"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "写真だけのファイルではありません"),
        ("notes.jpg", b"just some text, not an image", "写真として読み込めませんでした"),
        ("photo.jpg", png_bytes(), "拡張子"),  # PNG content with a .jpg name
        ("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "JPEG・PNG・WebP"),
        ("polyglot.jpg", jpeg_bytes() + b"<html><script>alert(1)</script></html>", "写真だけのファイルではありません"),
        ("zipped.jpg", jpeg_bytes() + b"PK\x03\x04" + b"\x00" * 30, "写真だけのファイルではありません"),
    ],
)
def test_bad_uploads_are_refused_with_a_japanese_field_error(upload, name, content, message):
    response = upload(name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Photo.objects.count() == 0


def test_too_large_upload_is_refused(upload, settings):
    settings.SHEETS_PHOTO_MAX_MB = 1
    response = upload("big.jpg", jpeg_bytes() + b"\x00" * (1024 * 1024))
    assert response.status_code == 400
    assert "1MB以下" in response.content.decode()
    assert Photo.objects.count() == 0


def test_caption_is_required(upload):
    response = upload("IMG.jpg", jpeg_bytes(), caption="")
    assert response.status_code == 400
    assert Photo.objects.count() == 0


def test_htmx_upload_returns_the_panel(upload):
    response = upload("IMG.jpg", jpeg_bytes(), htmx=True)
    assert response.status_code == 200
    assert "作業場のようす" in response.content.decode()
    assert Photo.objects.count() == 1


def test_counselor_cannot_upload(upload, world):
    assert upload("IMG.jpg", jpeg_bytes(), user=world.counselor_a).status_code == 403
    assert Photo.objects.count() == 0


def test_photo_is_served_only_with_access_and_never_sniffed(upload, login, world):
    upload("IMG.jpg", jpeg_bytes())
    photo = Photo.objects.get()
    url = reverse("photo_serve", args=[photo.uuid])
    response = login(world.counselor_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert login(world.counselor_c).get(url).status_code == 404
    assert not photo.image.url.startswith("/photos/")  # the storage's own URL is not routed


def test_employer_photo_is_visible_to_agencies_who_see_a_published_program(upload, login, world):
    """① prints the employer's photos for every agency the program is shared with, even
    where the employer record itself is not visible (another region of the prefecture)."""
    upload("IMG.jpg", jpeg_bytes())
    url = reverse("photo_serve", args=[Photo.objects.get().uuid])
    from tests.factories import AgencyFactory, MembershipFactory, RegionFactory

    other_region = RegionFactory(prefecture=world.region_x.prefecture, name="宝塚市")
    reader = MembershipFactory(agency=AgencyFactory(region=other_region)).user
    assert login(reader).get(url).status_code == 404
    ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.PREFECTURE)
    assert login(reader).get(url).status_code == 200


def test_photos_appear_on_the_sheets(upload, world):
    from pypdf import PdfReader

    from sheets.printing import sheets as printing

    upload("IMG.jpg", jpeg_with_gps((800, 600)))
    program = ProgramFactory(employer=world.employer_a)
    printed = printing.sheet_pdf(program, "employer")
    page = PdfReader(io.BytesIO(printed.pdf)).pages[0]
    assert page.images, "the employer photo is embedded in ①"


def test_delete_removes_the_file(upload, login, world, django_capture_on_commit_callbacks):
    upload("IMG.jpg", jpeg_bytes())
    photo = Photo.objects.get()
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator_a).post(reverse("photo_delete", args=[photo.uuid]))
    assert response.status_code == 302
    assert Photo.objects.count() == 0
    assert not storage.exists(name)


def test_a_decompression_bomb_is_refused_from_its_header(upload, monkeypatch):
    """Issue 23 item 4: a 13000×13000 PNG (≈ 0.2 MB on the wire, 169 million pixels) was decoded
    for 18.6 s at 2.3 GB. Now refused by its pixel count before any pixel is decoded."""
    from tests.attacks import bomb_png

    def never(*args, **kwargs):
        raise AssertionError("the pixels were decoded")

    content = bomb_png()
    monkeypatch.setattr(Image.Image, "load", never)
    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(ImageFile.ImageFile, "verify", never)
    response = upload("bomb.png", content)
    assert response.status_code == 400
    assert "画素数が多すぎます" in response.content.decode()
    assert Photo.objects.count() == 0


@pytest.mark.parametrize(("size", "refused"), [((7000, 7000), False), ((7100, 7100), True)])
def test_the_pixel_limit_is_the_setting(upload, settings, size, refused):
    from tests.attacks import bomb_png

    settings.SHEETS_PHOTO_MAX_MEGAPIXELS = 50
    response = upload("wide.png", bomb_png(*size))
    assert (response.status_code == 400 and "画素数が多すぎます" in response.content.decode()) is refused


def test_photos_are_never_kept_by_the_browser(upload, login, world):
    """Issue 23 item 6: photos were sent `private, max-age=3600`; like every personal page, no-store."""
    upload("IMG.jpg", jpeg_bytes())
    response = login(world.counselor_a).get(reverse("photo_serve", args=[Photo.objects.get().uuid]))
    assert response["Cache-Control"] == "private, no-store"
