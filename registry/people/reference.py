"""Reference lists that every registry needs, whatever its data: municipalities and party letters.

Production code and the demo data alike read them from here.
"""

# The municipalities of Region Hovedstaden with their kommunekode (DOMAIN.md, "Reference lists").
MUNICIPALITIES = [
    (101, "København"), (147, "Frederiksberg"), (151, "Ballerup"), (153, "Brøndby"), (155, "Dragør"),
    (157, "Gentofte"), (159, "Gladsaxe"), (161, "Glostrup"), (163, "Herlev"), (165, "Albertslund"),
    (167, "Hvidovre"), (169, "Høje-Taastrup"), (173, "Lyngby-Taarbæk"), (175, "Rødovre"), (183, "Ishøj"),
    (185, "Tårnby"), (187, "Vallensbæk"), (190, "Furesø"), (201, "Allerød"), (210, "Fredensborg"),
    (217, "Helsingør"), (219, "Hillerød"), (223, "Hørsholm"), (230, "Rudersdal"), (240, "Egedal"),
    (250, "Frederikssund"), (260, "Halsnæs"), (270, "Gribskov"), (400, "Bornholm"),
]

# The party letters at Danish municipal elections; local lists use other letters.
PARTIES = [
    ("A", "Socialdemokratiet"), ("B", "Radikale Venstre"), ("C", "Det Konservative Folkeparti"),
    ("D", "Nye Borgerlige"), ("F", "SF – Socialistisk Folkeparti"), ("I", "Liberal Alliance"),
    ("K", "Kristendemokraterne"), ("M", "Moderaterne"), ("O", "Dansk Folkeparti"), ("V", "Venstre"),
    ("Æ", "Danmarksdemokraterne"), ("Ø", "Enhedslisten"), ("Å", "Alternativet"),
]
