"""The film and series data behind the Plex and Overseerr fakes.

One list so the two fakes agree: a title in Plex carries ``Guid`` ``tmdb://<id>`` and the same rating key
Overseerr reports in ``mediaInfo.ratingKey``. Ids are the public TMDB/IMDb/TVDB ids of these titles;
summaries are short descriptions written for the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Movie:
    """A film; ``rating_key`` is set when it is already in Plex."""

    tmdb: int
    imdb: str
    title: str
    year: int
    released: str
    minutes: int
    genres: tuple[str, ...]
    summary: str
    studio: str = ""
    content_rating: str = "PG-13"
    rating: float = 7.5
    tagline: str = ""
    cast: tuple[str, ...] = ()
    rating_key: str | None = None


@dataclass(frozen=True)
class Show:
    """A series; ``episodes`` maps a season number to its episode count on TMDB, ``in_plex`` to the
    episode titles Plex holds for that season."""

    tmdb: int
    tvdb: int
    imdb: str
    title: str
    year: int
    first_aired: str
    network: str
    genres: tuple[str, ...]
    summary: str
    episodes: dict[int, int]
    content_rating: str = "TV-14"
    rating: float = 8.0
    cast: tuple[str, ...] = ()
    rating_key: str | None = None
    in_plex: dict[int, tuple[str, ...]] = field(default_factory=dict)


MOVIES: tuple[Movie, ...] = (
    Movie(10378, "tt1254207", "Big Buck Bunny", 2008, "2008-05-30", 10, ("Animation", "Comedy"),
          "A gentle giant rabbit takes a slow, elaborate revenge on three bullying rodents.",
          "Blender Foundation", "G", 6.5, "A big, gentle rabbit with a short fuse.", ("Sacha Goedegebure",),
          rating_key="101"),
    Movie(45745, "tt1727587", "Sintel", 2010, "2010-09-27", 15, ("Animation", "Fantasy"),
          "A lone girl crosses a harsh land searching for the baby dragon she once raised.",
          "Blender Foundation", "PG", 7.0, "", ("Halina Reijn", "Thom Hoffman"), rating_key="102"),
    Movie(133701, "tt2285752", "Tears of Steel", 2012, "2012-09-26", 12, ("Science Fiction",),
          "In a future Amsterdam, scientists try to rescue the world from destructive robots.",
          "Blender Foundation", "PG-13", 6.0, "", ("Derek de Lint", "Sergio Hasselbaink"), rating_key="103"),
    Movie(9761, "tt0807840", "Elephants Dream", 2006, "2006-03-24", 11, ("Animation", "Science Fiction"),
          "Two men wander a vast, shifting machine that only one of them believes in.",
          "Blender Foundation", "PG", 6.4, "", ("Tygo Gernandt", "Cas Jansen"), rating_key="104"),
    Movie(603, "tt0133093", "The Matrix", 1999, "1999-03-31", 136, ("Action", "Science Fiction"),
          "A programmer learns the world he knows is a simulation and joins the people fighting it.",
          "Warner Bros.", "R", 8.7, "Welcome to the real world.", ("Keanu Reeves", "Carrie-Anne Moss"),
          rating_key="105"),
    Movie(129, "tt0245429", "Spirited Away", 2001, "2001-07-20", 125, ("Animation", "Family", "Fantasy"),
          "A girl trapped in a spirit world works in a bathhouse to free herself and her parents.",
          "Studio Ghibli", "PG", 8.5, "", ("Rumi Hiiragi", "Miyu Irino"), rating_key="106"),
    Movie(78, "tt0083658", "Blade Runner", 1982, "1982-06-25", 117, ("Science Fiction", "Drama"),
          "A weary detective hunts artificial humans who have returned to Earth looking for more life.",
          "Warner Bros.", "R", 7.9, "Man has made his match... now it's his problem.", ("Harrison Ford",),
          rating_key="107"),
    Movie(105, "tt0088763", "Back to the Future", 1985, "1985-07-03", 116, ("Adventure", "Comedy"),
          "A teenager accidentally travels thirty years back and must make his parents fall in love.",
          "Universal Pictures", "PG", 8.3, "", ("Michael J. Fox", "Christopher Lloyd"), rating_key="108"),
    Movie(2493, "tt0093779", "The Princess Bride", 1987, "1987-09-25", 98, ("Adventure", "Family"),
          "A grandfather reads a tale of true love, pirates, giants and a six-fingered man.",
          "20th Century Fox", "PG", 7.7, "", ("Cary Elwes", "Robin Wright"), rating_key="109"),
    Movie(329865, "tt2543164", "Arrival", 2016, "2016-11-10", 116, ("Drama", "Science Fiction"),
          "A linguist races to understand visitors whose language changes how she perceives time.",
          "Paramount", "PG-13", 7.6, "Why are they here?", ("Amy Adams", "Jeremy Renner"), rating_key="110"),
    Movie(346648, "tt4468740", "Paddington 2", 2017, "2017-11-09", 103, ("Comedy", "Family"),
          "A polite bear is framed for stealing a pop-up book and makes the best of prison.",
          "StudioCanal", "PG", 7.6, "", ("Ben Whishaw", "Hugh Grant"), rating_key="111"),
    Movie(10331, "tt0063350", "Night of the Living Dead", 1968, "1968-10-01", 96, ("Horror",),
          "Strangers barricade a farmhouse against the recently dead.", "Image Ten", "NR", 7.5,
          "", ("Duane Jones", "Judith O'Dea"), rating_key="112"),
    Movie(19, "tt0017136", "Metropolis", 1927, "1927-01-10", 153, ("Drama", "Science Fiction"),
          "In a city split between planners above and workers below, a rich son takes the workers' side.",
          "UFA", "NR", 8.1, "", ("Brigitte Helm",), rating_key="113"),
    Movie(289, "tt0034583", "Casablanca", 1942, "1942-11-26", 102, ("Drama", "Romance"),
          "A nightclub owner in wartime Morocco has to choose between love and letting her go.",
          "Warner Bros.", "PG", 8.5, "", ("Humphrey Bogart", "Ingrid Bergman"), rating_key="114"),
    Movie(27205, "tt1375666", "Inception", 2010, "2010-07-15", 148, ("Action", "Science Fiction"),
          "A thief who steals secrets through dreams is asked to plant an idea instead.",
          "Warner Bros.", "PG-13", 8.4, "Your mind is the scene of the crime.", ("Leonardo DiCaprio",),
          rating_key="115"),
    Movie(194, "tt0211915", "Amélie", 2001, "2001-04-25", 122, ("Comedy", "Romance"),
          "A shy waitress in Montmartre quietly rearranges the lives of the people around her.",
          "UGC", "R", 7.9, "", ("Audrey Tautou",), rating_key="116"),
    # Not in Plex: these are what people request through Overseerr.
    Movie(438631, "tt1160419", "Dune", 2021, "2021-09-15", 155, ("Science Fiction", "Adventure"),
          "A noble family takes charge of a desert planet that holds the universe's most precious resource.",
          "Legendary Pictures", "PG-13", 7.8, "", ("Timothée Chalamet", "Rebecca Ferguson")),
    Movie(872585, "tt15398776", "Oppenheimer", 2023, "2023-07-19", 181, ("Drama", "History"),
          "The story of the physicist who led the building of the first atomic bomb.", "Universal Pictures",
          "R", 8.1, "", ("Cillian Murphy", "Emily Blunt")),
    Movie(545611, "tt6710474", "Everything Everywhere All at Once", 2022, "2022-03-24", 139,
          ("Action", "Comedy", "Science Fiction"),
          "A laundromat owner being audited discovers she must connect with versions of herself.", "A24",
          "R", 7.8, "", ("Michelle Yeoh", "Ke Huy Quan")),
    Movie(10386, "tt0129167", "The Iron Giant", 1999, "1999-08-06", 86, ("Animation", "Family"),
          "A boy befriends a giant robot from space while a government agent closes in.",
          "Warner Bros.", "PG", 8.0, "", ("Eli Marienthal", "Vin Diesel")),
    Movie(157336, "tt0816692", "Interstellar", 2014, "2014-11-05", 169, ("Adventure", "Science Fiction"),
          "Explorers travel through a wormhole looking for a new home for humanity.", "Paramount",
          "PG-13", 8.4, "", ("Matthew McConaughey", "Anne Hathaway")),
)

SHOWS: tuple[Show, ...] = (
    Show(1399, 121361, "tt0944947", "Game of Thrones", 2011, "2011-04-17", "HBO", ("Drama", "Fantasy"),
         "Noble houses fight for a throne while an old threat gathers beyond the northern wall.",
         {1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 7, 8: 6}, "TV-MA", 8.4,
         ("Emilia Clarke", "Kit Harington"), rating_key="201",
         in_plex={1: ("Winter Is Coming", "The Kingsroad", "Lord Snow"),
                  2: ("The North Remembers", "The Night Lands", "What Is Dead May Never Die")}),
    Show(1396, 81189, "tt0903747", "Breaking Bad", 2008, "2008-01-20", "AMC", ("Drama", "Crime"),
         "A chemistry teacher with a grim diagnosis turns to making drugs to provide for his family.",
         {1: 7, 2: 13, 3: 13, 4: 13, 5: 16}, "TV-MA", 8.9, ("Bryan Cranston", "Aaron Paul"),
         rating_key="202",
         in_plex={1: ("Pilot", "Cat's in the Bag...", "...And the Bag's in the River")}),
    Show(63639, 280619, "tt3230854", "The Expanse", 2015, "2015-12-14", "Syfy", ("Drama", "Science Fiction"),
         "A detective, a ship's officer and a politician uncover a conspiracy across the solar system.",
         {1: 10, 2: 13, 3: 13, 4: 10, 5: 10, 6: 6}, "TV-14", 8.1, ("Steven Strait", "Dominique Tipper"),
         rating_key="203",
         in_plex={1: ("Dulcinea", "The Big Empty", "Remember the Cant"),
                  2: ("Safe", "Doors & Corners", "Static")}),
    # Not in Plex.
    Show(95396, 371980, "tt11280740", "Severance", 2022, "2022-02-17", "Apple TV+", ("Drama", "Mystery"),
         "Office workers have their memories surgically split between work and home.", {1: 9, 2: 10},
         "TV-MA", 8.4, ("Adam Scott", "Britt Lower")),
    Show(136315, 403245, "tt14452776", "The Bear", 2022, "2022-06-23", "FX", ("Comedy", "Drama"),
         "A fine-dining chef comes home to run his late brother's sandwich shop.", {1: 8, 2: 10, 3: 10},
         "TV-MA", 8.2, ("Jeremy Allen White",)),
    Show(83867, 393189, "tt9253284", "Andor", 2022, "2022-09-21", "Disney+", ("Action", "Science Fiction"),
         "A thief is drawn into the early days of a rebellion against an empire.", {1: 12, 2: 12},
         "TV-14", 8.4, ("Diego Luna",)),
)

PEOPLE = (
    {"id": 6384, "name": "Keanu Reeves", "known_for": (603,)},
    {"id": 1245, "name": "Scarlett Johansson", "known_for": ()},
)

GENRE_IDS = {
    "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80, "Drama": 18, "Family": 10751,
    "Fantasy": 14, "History": 36, "Horror": 27, "Mystery": 9648, "Romance": 10749, "Science Fiction": 878,
}


def movie_by_tmdb(tmdb: int) -> Movie | None:
    """The film with this TMDB id."""
    return next((m for m in MOVIES if m.tmdb == tmdb), None)


def show_by_tmdb(tmdb: int) -> Show | None:
    """The series with this TMDB id."""
    return next((s for s in SHOWS if s.tmdb == tmdb), None)
