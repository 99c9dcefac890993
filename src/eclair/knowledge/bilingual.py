"""A small general English ↔ French glossary, so a question can find a document written in
the other language.

Contract: :func:`equivalents` maps a stem (as made by :func:`eclair.knowledge.lexical.terms`)
to the stems of its translations, in both directions; a word the glossary does not know maps
to nothing. The glossary holds everyday vocabulary (time, money, people and roles, places and
buildings, transport, food, home, work, quantities and common verbs), nothing specific to
any document; names and numbers need no translation, except the names of countries,
territories and languages, which :func:`place_names` takes from CLDR (through Babel: "Japon"
is "Japan", "Allemagne" is "Germany", "portugais" is "Portuguese") and :func:`equivalents`
includes for one-word names. It widens retrieval and evidence matching only: every claim of
an answer is still checked against the source text itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from eclair.knowledge import lexical

# "english words | french words" — each side may hold synonyms; every word on one side
# translates every word on the other.
_PAIRS = """
year years | an ans annee annees
month months | mois
week weeks | semaine semaines
day days | jour jours journee
hour hours | heure heures
minute minutes | minute minutes
morning | matin matinee
evening | soir soiree
night | nuit
century | siecle
steal stole stolen theft | vole volee derobe derobee
kill killed murder murdered assassinate assassinated | tuer tue tuee assassiner assassine assassinee assassinat
declare declared proclaim proclaimed | declarer declare declaree proclamer proclame proclamee
sign signed | signer signe signee
perform performed premiere | creer cree creee represente representee
ore | minerai
tutor | precepteur preceptrice
peak summit | sommet pic
spectator spectators | spectateur spectateurs
orbit orbits | orbite orbiter
sculptor | sculpteur sculptrice
servant | valet domestique serviteur
season | saison
date | date
time | temps heure fois
open opened opening opens | ouvert ouverte ouvre ouvrir ouverture inaugure inauguree inauguration
close closed closing closes | ferme fermee fermer fermeture
start started begin began | commence commencer debut
end ended finish finished | fin finir termine
price prices cost costs charge charges fare fares | prix tarif tarifs cout coute coutent
fee fees | frais cotisation
ticket tickets | billet billets ticket
pay paid payment | payer paye paiement
free | gratuit gratuite gratuitement
money | argent
euro euros | euro euros
pound pounds | livre livres
rent | loyer location
tax | taxe impot
sale sales sell sold | vente ventes vendre vendu vendus vendues
buy bought | acheter achete
turnover revenue | chiffre recettes
profit surplus | benefice excedent
share | part partage
member members membership | membre membres adherent adherents adhesion
people person persons | personne personnes gens
inhabitant inhabitants resident residents population | habitant habitants population
visitor visitors | visiteur visiteurs
worker workers employee employees staff | employe employes salarie salaries personnel ouvrier ouvriers
child children | enfant enfants
adult adults | adulte adultes
student students | etudiant etudiants eleve eleves
family families | famille familles
mayor | maire
president | president presidente
director manager | directeur directrice gerant gerante responsable
deputy deputies assistant | adjoint adjointe adjoints adjointes suppleant suppleante
kiosk kiosks | kiosque kiosques
treasurer | tresorier tresoriere
secretary | secretaire
engineer | ingenieur
architect | architecte
founder founded found | fondateur fondatrice fonde fondee fonder
built build construction | construit construite construire construction
designed design | concu concue conception dessine
town city | ville commune
village | village
country | pays
region | region
street road | rue route
bridge | pont
river | riviere fleuve
lake | lac
sea | mer
island | ile
mountain | montagne
forest wood woods | foret bois
garden gardens | jardin jardins
plot plots | parcelle parcelles
field fields | champ champs
house houses home | maison maisons domicile
building buildings | batiment batiments
room rooms | salle salles piece pieces chambre
church | eglise
school | ecole
library | bibliotheque mediatheque
museum | musee
hospital | hopital
station | gare station
railway railways train trains | train trains ferroviaire
line | ligne
boat boats ship ships | bateau bateaux navire
car cars | voiture voitures
bus | bus car
bicycle bike | velo
port harbour | port
airport | aeroport
shop store | magasin boutique
market | marche
bakery | boulangerie
bread loaf loaves | pain pains
cheese | fromage fromages
milk | lait
water | eau
wine | vin
meal | repas
kitchen | cuisine
cook cooking | cuire cuisson cuisiner
oven | four
book books | livre livres
page pages | page pages
print printed printing | imprimer imprime impression
copy copies | copie copies
black | noir noire
white | blanc blanche
colour color | couleur
card | carte
document documents | document documents
loan borrow borrowed lend | pret emprunt emprunter prete
return | retour rendre allerretour
rule rules regulation regulations | regle regles reglement
law | loi
right | droit
allowed permitted | autorise autorisee permis
forbidden prohibited banned | interdit interdite
must | doit devoir
register registered registration | enregistrer enregistre inscription inscrire inscrit
warranty guarantee | garantie
repair | reparation reparer
error | erreur
code | code
button | bouton
light | lumiere allumer feu
fire | feu incendie
power | puissance alimentation
weight | poids
height tall | hauteur haut
length long | longueur long
width wide | largeur large
depth deep | profondeur profond
size | taille
area surface | superficie surface
distance | distance
capacity | capacite contenance
speed | vitesse
temperature | temperature
minimum | minimum minimale minimal
maximum | maximum maximale maximal
number | nombre numero
amount | montant quantite
total | total
half | moitie demi
percent percentage | pourcent pourcentage
kilometre kilometres kilometer kilometers | kilometre kilometres
metre metres meter meters | metre metres
litre litres liter liters | litre litres
kilogram kilograms | kilogramme kilogrammes
walk walks walking hike hikes | marche marcher randonnee randonnees sortie sorties
trip trips journey | voyage trajet sortie excursion
crossing | traversee
work working | travail travailler
job | emploi metier
meeting | reunion assemblee
vote | vote voter
elected election | elu elue election
born birth | ne nee naissance
die died death | mort morte mourir deces
live lived | vivre vecu habite habiter
marriage wedding married | mariage mariee marie
war | guerre
fire brigade firefighters | pompiers
destroyed destroy | detruit detruite detruire
make made | fabriquer fabrique faire
produce produced production | produire produit production
use used | utiliser utilise
need needed | falloir faut besoin
keep kept | garder garde
take taken | prendre pris
leave left | partir quitter quitte
arrive arrived | arriver arrive
carry carried | transporter transporte porter
hold held | tenir tenu
animal animals | animal animaux
dog dogs | chien chiens
hen hens chicken chickens | poule poules
bee bees | abeille abeilles
horse horses | cheval chevaux
fish | poisson
tree trees | arbre arbres
flower flowers | fleur fleurs
vegetable vegetables | legume legumes
fruit | fruit fruits fruitier fruitiers
kettle | bouilloire
appliance device | appareil
website site | site
lid | couvercle
cord cable | cordon cable
plug socket | prise
switch | interrupteur
handle | poignee
filter | filtre
acid | acide
descale descaling | detartrer detartrage
limescale scale | calcaire tartre
clean cleaning | nettoyer nettoyage
dress | robe
veil | voile
lace | dentelle
fabric cloth | tissu etoffe
wool | laine
silk | soie
thread | fil
stairs steps staircase | escalier marches
tower | tour
keeper keepers | gardien gardiens
grow grown cultivate cultivated | cultiver cultive pousser
mill | moulin
miller | meunier
flour | farine
grain grains | grain grains ble
wheel | roue
paddle paddles blade blades | aube aubes pale pales
millstone | meule
stone | pierre
admission entry entrance | entree
visit visits tour | visite visites
guided | guide guidee
restoration restore restored | restauration restaurer restaure
funded financed | finance financee financement
orchard orchards | verger vergers
harvest | recolte
volunteer volunteers volunteering | benevole benevoles benevolat
hive hives beehive | ruche ruches
beekeeper beekeepers | apiculteur apiculteurs
honey | miel
food | nourriture alimentaire aliment
bank | banque
juice | jus
apple apples | pomme pommes
press | pressoir presse
ladder | echelle
flood floods | crue inondation
dam | digue barrage
neighbour neighbours neighbor neighbors | voisin voisins
association club society | association club societe
chair chairman chairwoman | president presidente
coordinator | coordinateur coordinatrice
owner owners own owns | proprietaire proprietaires possede
visitor visitors | visiteur visiteurs
guide guidebook handbook | guide livret
edition | edition
weigh weighs | pese pesent
diameter | diametre
first | premier premiere
last | dernier derniere
new | nouveau nouvelle neuf
old | ancien ancienne vieux
small | petit petite
big large | grand grande gros
ferry ferries vessel launch | bateau bateaux vedette vedettes navette
crossing crossings trip trips journey journeys | traversee traversees trajet trajets rotation rotations
passenger passengers | passager passagers
carry carries carried | transporte transporter embarquer embarque
depart departs departure | part depart departs
accept accepted allow allows | accepte acceptes acceptee admis
company companies firm | compagnie entreprise societe
run runs ran manage manages managed head heads headed | dirige dirigee diriger gere gerer geree
curator curators | conservateur conservatrice
lens lenses | lentille lentilles
lantern lanterns | lanterne lanternes
step steps stair stairs | marche marches
lighthouse lighthouses | phare phares
keeper keepers | gardien gardiens
drying dry dried | sechage secher seche
plant facility installation | installation usine
store stores stored storage | stocker stocke stockage entreposer
annual yearly | annuel annuelle
employ employs employed | emploie emploient employer
full | plein pleine
turnover revenue | chiffre affaires
dividend dividends | dividende dividendes
deliver delivers delivered delivery | livre livrent livrees livraison
wheat | ble
barley | orge
tonne tonnes ton tons | tonne tonnes
farm farms | ferme fermes exploitation exploitations
driver drivers | chauffeur chauffeurs conducteur conducteurs
bike bikes bicycle bicycles | velo velos
oneway single | allersimple
treatment treatments | traitement traitements soins
practice surgery clinic | cabinet clinique
instalment instalments installment installments | mensualite mensualites echeance echeances
spread | etaler echelonner
helmet helmets | casque casques
compulsory mandatory obligatory | obligatoire obligatoires
pupil pupils | eleve eleves
lesson lessons | cours lecon lecons
group groups | groupe groupes
booking bookings reservation reservations | reservation reservations
discount discounts | remise remises rabais
reduced concession concessions concessionary | reduit reduite reduits reduites
missed | manque manquee manques manquees
notice | preavis
invoice invoiced bill billed charged | facture facturer facturee facturent factures
refund refunded refunds | rembourser remboursement rembourse remboursee
battery batteries | batterie batteries
insurance | assurance
excess deductible | franchise
licence license licences licenses | permis
van vans | utilitaire utilitaires fourgon fourgons
represented | represente representes representees
pool pools | piscine piscines
swimming | natation baignade
sailing | voile
lost | perdu perdus perdue perdues
belongings | affaires objets
tasting tastings | degustation degustations
cellar cellars | cave caves
harness harnesses | baudrier baudriers
shoes | chaussons chaussures
hire | location louer
shuttle shuttles | navette navettes
suspended | suspendu suspendue suspendus
fine fines | amende amendes
network | reseau
ageing aging maturing | affinage
deadline | echeance
held holder holders | titulaire titulaires
coop coops | cooperative cooperatives
drive driving | conduire conduite
highseason peakseason | hautesaison
lowseason offseason | bassesaison
midseason | moyennesaison
put | mis mise mettre
climb climbs climbed climbing ascent | monter grimper gravir ascension escalade
winter | hiver
summer | estival estivale
spring | printemps
autumn fall | automne
market markets | marche marches halle
stall stalls | etal etals stand stands
covered | couvert couverte
bread loaf | pain pains
rye | seigle
jar jars pot pots | pot pots bocal
coffee | cafe
egg eggs | oeuf oeufs œuf œufs
dozen | douzaine
grow grew growth increase increased rise rose | augmente augmentation hausse croissance
buy bought purchase | acheter achete achat vente
roundtrip | allerretour
fulltime | tempsplein
parttime | tempspartiel
fullprice | pleintarif
halfprice | demitarif
january | janvier
february | fevrier
april | avril
june | juin
july | juillet
august | aout
september | septembre
october | octobre
november | novembre
december | decembre
currency currencies | monnaie monnaies devise
language languages | langue langues
speak speaks spoke spoken speaking | parler parle parlee parlent
official | officiel officielle officiels
capital | capitale
painter | peintre
painting paintings | tableau tableaux peinture peintures toile
writer author | ecrivain ecrivaine auteur autrice
wrote write written writes | ecrit ecrite ecrivit ecrire
novel novels | roman romans
poet poem poems | poete poeme poemes
composer | compositeur compositrice
compose composed | compose composee composa composer
discover discovered discovery | decouvrir decouvert decouverte
invent invented invention inventor | inventer invente inventee invention inventeur
publish published publication | publier publie publiee publication
die died death | mourir mort morte mourut deces
king | roi
queen | reine
emperor | empereur
war | guerre
battle | bataille
planet planets | planete planetes
sun | soleil
moon | lune
element | element
symbol | symbole
sea | mer
ocean | ocean
island islands | ile iles
border borders | frontiere frontieres borde
north northern | nord
south southern | sud
east eastern | est
west western | ouest
largest biggest | grand grande
highest tallest | haut haute eleve elevee culminant culmine
longest | long longue
chemical | chimique chimiques
atomic | atomique
number | numero
closest nearest | proche
first | premier premiere
man men human | homme hommes humain
walk walked | marcher marche
fall fell fallen | chute tomber tombe
wall | mur
independence independent | independance independant independante
real true | vrai vraie veritable
name named | nom nomme nommee
age aged | age agee
century | siecle
painted paint | peint peinte peindre
inaugurated inauguration | inaugure inauguree inauguration
flow flows flowing | coule coulent jette
mouth | embouchure
sea level | niveau mer
obtain obtained gain gained | obtenir obtenu obtenue obtient
neighbour neighbours neighbor neighbors neighbouring | voisin voisins voisine voisines
land | terrestre
mount | mont
iron | fer
lead | plomb
copper | cuivre
tin | etain
sulfur sulphur | soufre
nitrogen | azote
tool tools | outil outils
cancel cancels cancelled canceled cancellation cancellations | annuler annule annulee annulation annulations
hire hired hiring rental | location louer loue louee loues
deposit deposits | caution cautions
subscription subscriptions dues membership | cotisation cotisations
electric electrical power powered | electrique electriques
hand manual | main manuel manuels manuelle manuelles
""".strip()


@cache
def place_names() -> dict[str, tuple[str, ...]]:
    """Folded FR or EN name of a country, territory or language → its names in both languages,
    as written (CLDR data shipped with Babel)."""
    from babel import Locale

    table: dict[str, set[str]] = {}
    en, fr = Locale("en"), Locale("fr")
    for kind in ("territories", "languages"):
        en_names, fr_names = getattr(en, kind), getattr(fr, kind)
        for code, en_name in en_names.items():
            fr_name = fr_names.get(code)
            if not fr_name or code.isdigit() or "(" in en_name or "(" in fr_name:
                continue
            names = {en_name, fr_name[:1].upper() + fr_name[1:]}
            for name in (en_name, fr_name):
                table.setdefault(lexical.fold(name), set()).update(names)
    return {k: tuple(sorted(v)) for k, v in table.items()}


@cache
def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for names in place_names().values():  # one-word names only: "Japon" ↔ "Japan"
        stems = {t for name in names if " " not in name and "-" not in name for t in lexical.terms(name)}
        for stem in stems:
            table.setdefault(stem, set()).update(stems - {stem})
    for line in _PAIRS.splitlines():
        english, french = (lexical.terms(side) for side in line.split("|"))
        for a, b in ((english, french), (french, english)):
            for word in a:
                table.setdefault(word, set()).update(w for w in b if w != word)
    return {word: frozenset(others) for word, others in table.items()}


_EXTRA: ContextVar[dict[str, frozenset[str]] | None] = ContextVar("extra_equivalents", default=None)


def equivalents(stem: str) -> frozenset[str]:
    """Stems of the other language's words for ``stem`` (empty when unknown), with those of
    :func:`also_equivalent` in force."""
    found = _table().get(stem, frozenset())
    extra = _EXTRA.get()
    return found | extra[stem] if extra and stem in extra else found


@contextmanager
def also_equivalent(pairs: dict[str, frozenset[str]]) -> Iterator[None]:
    """Within the block, :func:`equivalents` also knows ``pairs`` (stems found to translate one
    another for one question: :mod:`eclair.knowledge.crosslingual`)."""
    token = _EXTRA.set(pairs)
    try:
        yield
    finally:
        _EXTRA.reset(token)
