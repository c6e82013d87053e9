import sys,time,threading,json,copy; sys.path.insert(0,'/tmp/t34b')
from pl import PL
from client import fetch, parse_sse
p=PL(18501,'/tmp/t34b/data1'); OLD=p.feedtok('bank-dki'); MT=p.feedtok('ministry-umkm')
last=int(p.feed('bank-dki',0,limit=1)[2]['Feed-Last-Seq'])
a=json.load(open('/tmp/t34b/scenB.json'))['B']
st,c=p.j("GET","/v1/charter")
def later():
    time.sleep(2)
    c2=copy.deepcopy(c); c2['charter_version']=c['charter_version']+1; c2['data_sharing']['bank-dki']['token_generation']=1
    print("amend", p.j("PUT","/v1/charter",c2,token=p.admin), flush=True)
    time.sleep(1)
    print("consent", p.act(a[0],a[1],{"action":"grant_consent","subscriber":"bank-dki"})[0], flush=True)
threading.Thread(target=later).start()
t=time.time(); st,h,b=fetch("127.0.0.1",18501,"bank-dki",OLD,last,wait=30)
print("old-token wait answered after %.2fs"%(time.time()-t), st, [ (m.get('id'), (json.loads(m['data'])['applicant'] if 'data' in m else None)) for m in parse_sse(b)])
time.sleep(0.5)
st,h,b=fetch("127.0.0.1",18501,"bank-dki",OLD,last); print("old token now:",st,b)
NEW=p.j("GET","/v1/feeds/bank-dki/token",token=p.admin); print("new token:",NEW)
st,h,b=fetch("127.0.0.1",18501,"bank-dki",NEW[1]['token'],last); print("new:",st,b[:200])
st,h,b=fetch("127.0.0.1",18501,"ministry-umkm",MT,0,limit=1); print("ministry old token:",st)
json.dump({"old":OLD,"new":NEW[1]['token'],"mt":MT},open('/tmp/t34b/toks.json','w'))
