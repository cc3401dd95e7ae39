from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed


def post(request: HttpRequest, article_id: int) -> HttpResponse:
    return HttpResponseNotAllowed(["POST"])
