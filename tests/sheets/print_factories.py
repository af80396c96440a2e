"""Factories for the printing work's models (photos, ① introduction)."""

import io

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from PIL import Image

from sheets.printing.models import EmployerIntro, Photo
from tests.factories import EmployerFactory


def jpeg_bytes(size=(64, 48), color="seagreen", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo

    employer = factory.SubFactory(EmployerFactory)
    caption = "作業場のようす"
    mime_type = "image/jpeg"
    width = 64
    height = 48
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))


class EmployerIntroFactory(DjangoModelFactory):
    class Meta:
        model = EmployerIntro

    employer = factory.SubFactory(EmployerFactory)
    atmosphere = "20代から70代まで、12人が働いています。休憩時間はにぎやかです。"
    facilities = ["rest_area", "toilet", "parking"]
    house_rules = "作業中はスマートフォンをロッカーにしまいます。"
    message = "はじめての方も、ゆっくり覚えてもらえれば大丈夫です。"
