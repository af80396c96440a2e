import datetime

import factory
from factory.django import DjangoModelFactory

from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.programs.models import Program, ProgramStatus, SharingScope, TimetableRow
from sheets.vocabulary import EngagementType, Frequency, Place
from tests.factories import EmployerFactory


class TaskBreakdownFactory(DjangoModelFactory):
    class Meta:
        model = TaskBreakdown

    employer = factory.SubFactory(EmployerFactory)
    visited_on = datetime.date(2026, 11, 10)
    visitors = "伊藤（自立相談）"
    interviewee = "工場長 田中さん"
    unmet_needs = "繁忙期の袋詰めの人手が足りない"
    culture_notes = "朝礼は8:50。休憩は交代で取る。"


class TaskRowFactory(DjangoModelFactory):
    class Meta:
        model = TaskRow

    breakdown = factory.SubFactory(TaskBreakdownFactory)
    position = factory.Sequence(lambda n: n)
    duty = "内職"
    task = factory.Sequence(lambda n: f"部品の袋詰め{n}")
    steps = "部品を数える→袋に入れる→シールで封をする"
    frequency = Frequency.DAILY
    place = Place.INDOOR_AC
    postures = ["sitting"]
    teaching_methods = ["demonstration", "sample"]
    demands = {"comprehension": 1, "accuracy": 2, "pace": 1, "stamina": 0, "dexterity": 2}
    engagement_types = [EngagementType.EXPERIENCE]


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    employer = factory.SubFactory(EmployerFactory)
    owner = factory.LazyAttribute(lambda o: o.employer.owner)
    title = factory.Sequence(lambda n: f"部品の袋詰め体験{n}")
    engagement_type = EngagementType.EXPERIENCE
    what_you_do = "小さな部品を数えて袋に入れます。"
    status = ProgramStatus.DRAFT
    sharing_scope = SharingScope.REGION
    demands = {"comprehension": 1, "accuracy": 2}
    last_verified_on = datetime.date(2026, 11, 1)


class TimetableRowFactory(DjangoModelFactory):
    class Meta:
        model = TimetableRow

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: n)
    time = "9:00"
    activity = "あいさつ・作業の説明"
