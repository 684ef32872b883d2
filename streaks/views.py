from django.shortcuts import render


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return render(request, "streaks/dashboard.html")
