"""The TMDB side of the Overseerr fake: search results and movie/series details from the catalog.

Search understands Overseerr's id prefixes (``tmdb:603``, ``imdb:tt0133093``, ``tvdb:81189``, and
``year:1999`` combined with text). Images are TMDB-style paths; the fake serves them under
``/imageproxy/...`` as Overseerr's image cache does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from fakes.catalog import GENRE_IDS, MOVIES, PEOPLE, SHOWS, Movie, Show, movie_by_tmdb
from fakes.plex.library import fold

PAGE_SIZE = 20
MediaInfo = Callable[[str, int], dict[str, Any] | None]


def poster_path(tmdb: int, kind: str = "poster") -> str:
    """A TMDB-style image path."""
    return f"/fake-{kind}-{tmdb}.jpg"


def _genres(names: tuple[str, ...]) -> list[int]:
    return [GENRE_IDS[n] for n in names if n in GENRE_IDS]


def movie_result(m: Movie, media_info: MediaInfo) -> dict[str, Any]:
    """A movie entry of ``/search``."""
    out = {"id": m.tmdb, "mediaType": "movie", "adult": False, "genreIds": _genres(m.genres),
           "originalLanguage": "en", "originalTitle": m.title, "overview": m.summary,
           "popularity": round(m.rating * 10, 1), "releaseDate": m.released, "title": m.title, "video": False,
           "voteAverage": m.rating, "voteCount": 1000 + m.tmdb % 9000, "backdropPath": poster_path(m.tmdb, "backdrop"),
           "posterPath": poster_path(m.tmdb)}
    info = media_info("movie", m.tmdb)
    if info is not None:
        out["mediaInfo"] = info
    return out


def tv_result(s: Show, media_info: MediaInfo) -> dict[str, Any]:
    """A tv entry of ``/search``."""
    out = {"id": s.tmdb, "mediaType": "tv", "firstAirDate": s.first_aired, "genreIds": _genres(s.genres),
           "name": s.title, "originCountry": ["US"], "originalLanguage": "en", "originalName": s.title,
           "overview": s.summary, "popularity": round(s.rating * 10, 1), "voteAverage": s.rating,
           "voteCount": 1000 + s.tmdb % 9000, "backdropPath": poster_path(s.tmdb, "backdrop"),
           "posterPath": poster_path(s.tmdb)}
    info = media_info("tv", s.tmdb)
    if info is not None:
        out["mediaInfo"] = info
    return out


def search(query: str, page: int, media_info: MediaInfo) -> dict[str, Any]:
    """``GET /search`` body."""
    results: list[dict[str, Any]] = []
    prefix = re.match(r"^(tmdb|imdb|tvdb):(\S+)$", query.strip())
    if prefix:
        kind, value = prefix.groups()
        for m in MOVIES:
            if (kind == "tmdb" and str(m.tmdb) == value) or (kind == "imdb" and m.imdb == value):
                results.append(movie_result(m, media_info))
        for s in SHOWS:
            if ((kind == "tmdb" and str(s.tmdb) == value) or (kind == "imdb" and s.imdb == value)
                    or (kind == "tvdb" and str(s.tvdb) == value)):
                results.append(tv_result(s, media_info))
    else:
        year_match = re.search(r"\byear:(\d{4})\b", query)
        year = int(year_match.group(1)) if year_match else None
        text = fold(re.sub(r"\byear:\d{4}\b", "", query).strip())
        for m in MOVIES:
            if text in fold(m.title) and (year is None or m.year == year):
                results.append(movie_result(m, media_info))
        for s in SHOWS:
            if text in fold(s.title) and (year is None or s.year == year):
                results.append(tv_result(s, media_info))
        for p in PEOPLE:
            if text and year is None and text in fold(p["name"]):
                known = [movie_result(movie_by_tmdb(t), media_info) for t in p["known_for"]]  # type: ignore[arg-type]
                results.append({"id": p["id"], "mediaType": "person", "name": p["name"], "adult": False,
                                "popularity": 20.0, "profilePath": f"/fake-person-{p['id']}.jpg", "knownFor": known})
    total_pages = max(1, math.ceil(len(results) / PAGE_SIZE))
    chunk = results[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return {"page": page, "totalPages": total_pages, "totalResults": len(results), "results": chunk}


def _credits(cast: tuple[str, ...], tmdb: int) -> dict[str, Any]:
    return {"cast": [{"id": 10_000 + tmdb % 1000 * 10 + n, "castId": n, "character": "", "creditId": f"c{tmdb}{n}",
                      "gender": 0, "name": name, "order": n, "profilePath": None} for n, name in enumerate(cast)],
            "crew": []}


def movie_details(m: Movie, media_info: MediaInfo) -> dict[str, Any]:
    """``GET /movie/{id}`` body."""
    out = {
        "id": m.tmdb, "imdbId": m.imdb, "adult": False, "backdropPath": poster_path(m.tmdb, "backdrop"),
        "posterPath": poster_path(m.tmdb), "budget": 0,
        "genres": [{"id": GENRE_IDS.get(g, 0), "name": g} for g in m.genres],
        "homepage": "", "originalLanguage": "en", "originalTitle": m.title, "overview": m.summary,
        "popularity": round(m.rating * 10, 1),
        "productionCompanies": [{"id": 1, "name": m.studio, "originCountry": "US", "logoPath": None}]
        if m.studio else [],
        "productionCountries": [{"iso_3166_1": "US", "name": "United States of America"}], "releaseDate": m.released,
        "releases": {"results": []}, "revenue": 0, "runtime": m.minutes, "spokenLanguages": [
            {"englishName": "English", "iso_639_1": "en", "name": "English"}], "status": "Released",
        "tagline": m.tagline, "title": m.title, "video": False, "voteAverage": m.rating,
        "voteCount": 1000 + m.tmdb % 9000, "credits": _credits(m.cast, m.tmdb), "collection": None,
        "externalIds": {"imdbId": m.imdb, "facebookId": None, "instagramId": None, "twitterId": None},
        "watchProviders": [], "keywords": [],
    }
    info = media_info("movie", m.tmdb)
    if info is not None:
        out["mediaInfo"] = info
    return out


def tv_details(s: Show, media_info: MediaInfo) -> dict[str, Any]:
    """``GET /tv/{id}`` body."""
    seasons = [{"airDate": s.first_aired, "episodeCount": count, "id": s.tmdb * 100 + n, "name": f"Season {n}",
                "overview": "", "posterPath": poster_path(s.tmdb * 100 + n), "seasonNumber": n}
               for n, count in sorted(s.episodes.items())]
    out = {
        "id": s.tmdb, "backdropPath": poster_path(s.tmdb, "backdrop"), "posterPath": poster_path(s.tmdb),
        "contentRatings": {"results": [{"iso_3166_1": "US", "rating": s.content_rating}]}, "createdBy": [],
        "episodeRunTime": [50], "firstAirDate": s.first_aired, "genres": [{"id": GENRE_IDS.get(g, 0), "name": g}
                                                                          for g in s.genres],
        "homepage": "", "inProduction": False, "languages": ["en"], "lastAirDate": s.first_aired,
        "lastEpisodeToAir": None, "name": s.title, "nextEpisodeToAir": None,
        "networks": [{"id": 49, "name": s.network, "originCountry": "US", "logoPath": None}],
        "numberOfEpisodes": sum(s.episodes.values()), "numberOfSeasons": len(s.episodes), "originCountry": ["US"],
        "originalLanguage": "en", "originalName": s.title, "overview": s.summary, "popularity": round(s.rating * 10, 1),
        "productionCompanies": [], "productionCountries": [], "spokenLanguages": [], "seasons": seasons,
        "status": "Ended", "tagline": "", "type": "Scripted", "voteAverage": s.rating,
        "voteCount": 1000 + s.tmdb % 9000,
        "credits": _credits(s.cast, s.tmdb), "externalIds": {"imdbId": s.imdb, "tvdbId": s.tvdb, "facebookId": None,
                                                               "instagramId": None, "twitterId": None},
        "keywords": [], "watchProviders": [],
    }
    info = media_info("tv", s.tmdb)
    if info is not None:
        out["mediaInfo"] = info
    return out
