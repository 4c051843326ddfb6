"""The analytics REST API: the dashboard's numbers as JSON, and its CSV exports (owners and admins).

Every endpoint takes ``from`` and ``to`` (store-local dates, inclusive; default the last 30 days).
"""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from analytics import reports
from analytics.experiments import experiments
from analytics.funnels import funnel
from analytics.overview import overview
from analytics.revenue import revenue_report
from analytics.unanswered import unanswered
from flows.queries import access_flow
from tenants.api_base import StoreScopedAPIView
from tenants.models import Role

PERIOD = [
    OpenApiParameter("from", str, description="First day (YYYY-MM-DD, store time zone); default 29 days before `to`"),
    OpenApiParameter("to", str, description="Last day (YYYY-MM-DD, store time zone, inclusive); default today"),
]
GOAL = OpenApiParameter("goal", str, description="Conversion for A/B results: any (goal event), a goal name, order")


class _Report(StoreScopedAPIView):
    required_role = Role.ADMIN

    def answer(self, build):
        try:
            return Response(build(reports.period_from(self.store, self.request.query_params)))
        except reports.ReportError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


class Overview(_Report):
    @extend_schema(parameters=PERIOD, responses=dict, summary="Conversations, shoppers, outcomes, ratings, goals")
    def get(self, request, store_slug):
        return self.answer(lambda period: overview(self.store, period))


class Funnel(_Report):
    @extend_schema(parameters=PERIOD, responses=dict, summary="Per node of a flow: conversations entered, dropped")
    def get(self, request, store_slug, flow_id):
        flow = access_flow(self.store, flow_id)
        return self.answer(lambda period: funnel(self.store, flow, period))


class Experiments(_Report):
    @extend_schema(parameters=[*PERIOD, GOAL], responses=dict, summary="A/B results for every split node")
    def get(self, request, store_slug):
        return self.answer(lambda period: experiments(self.store, period, goal=reports.goal_from(request.query_params)))


class Revenue(_Report):
    @extend_schema(parameters=PERIOD, responses=dict, summary="Orders attributed to chats, per flow")
    def get(self, request, store_slug):
        return self.answer(lambda period: revenue_report(self.store, period))


class Unanswered(_Report):
    @extend_schema(parameters=PERIOD, responses=dict, summary="Messages the bot could not answer, grouped")
    def get(self, request, store_slug):
        return self.answer(lambda period: unanswered(self.store, period))


class Export(_Report):
    @extend_schema(
        parameters=[*PERIOD, GOAL, OpenApiParameter("report", str, required=True, description=", ".join(
            reports.exports.REPORTS)), OpenApiParameter("flow", int, description="The flow, for report=funnel")],
        responses={(200, "text/csv"): str}, summary="A report, or the conversations or events, as CSV",
    )  # fmt: skip
    def get(self, request, store_slug):
        try:
            return csv_response(*reports.export(self.store, request.query_params))
        except reports.ReportError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


def csv_response(filename: str, lines) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
